{#- The score bands of var score_bands ([0, 50, 100] gives [0,50), [50,100), [100,+inf)) as
    a list of {'band_number', 'band_min', 'band_max'}; band_max is none for the top band. -#}
{% macro score_bands() %}
    {%- set bounds = marketing_kpis.setting('score_bands') -%}
    {%- if bounds | length < 1 or bounds | sort != bounds or bounds | unique | list | length
        != bounds | length -%}
        {{ exceptions.raise_compiler_error(
            "var score_bands must be a non-empty list of increasing numbers, got "
            ~ bounds) }}
    {%- endif -%}
    {%- set bands = [] -%}
    {%- for bound in bounds -%}
        {%- do bands.append({'band_number': loop.index, 'band_min': bound,
                             'band_max': bounds[loop.index] if not loop.last else none}) -%}
    {%- endfor -%}
    {{ return(bands) }}
{% endmacro %}


{#- the band number of a score; a score below the first bound counts in the first band -#}
{% macro score_band_number(column) -%}
    {%- set bands = marketing_kpis.score_bands() -%}
    case
        {%- for band in bands if band.band_max is not none %}
        when {{ column }} < {{ band.band_max }} then {{ band.band_number }}
        {%- endfor %}
        else {{ bands | length }}
    end
{%- endmacro %}


{#- the bands as rows: select band_number, band_min, band_max -#}
{% macro score_bands_sql() -%}
    {%- for band in marketing_kpis.score_bands() %}
    select
        {{ band.band_number }} as band_number,
        cast({{ band.band_min }} as {{ marketing_kpis.type_double() }}) as band_min,
        cast({{ 'null' if band.band_max is none else band.band_max }}
            as {{ marketing_kpis.type_double() }}) as band_max
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
